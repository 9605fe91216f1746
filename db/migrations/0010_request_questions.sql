ALTER TABLE "adoption_events" ADD COLUMN "kind" text DEFAULT 'status' NOT NULL;--> statement-breakpoint
ALTER TABLE "adoption_events" ADD CONSTRAINT "adoption_events_kind_check" CHECK ("kind" IN ('status', 'question', 'answer'));--> statement-breakpoint
-- Questions asked before they were part of a request's history were kept only in the audit
-- log; copy them in, so the requester and the manager see them beside the answers.
INSERT INTO adoption_events (adoption_id, from_status, to_status, actor_user_id, actor_role, reason, kind, created_at)
SELECT a.id, a.status, a.status, l.actor_user_id, l.actor_role, l.after->>'question', 'question', l.created_at
FROM audit_log l JOIN adoptions a ON a.id::text = l.subject_id
WHERE l.action = 'adoption.question' AND l.subject_type = 'adoption' AND l.after->>'question' IS NOT NULL
ORDER BY l.id;--> statement-breakpoint
-- The first agreement addressed residents as "je"; Perkje says "u" everywhere. Published
-- versions are history (residents accepted that text), so the new wording is version 2 —
-- only where version 1 is still the current, unchanged seed text.
INSERT INTO adoption_agreements (version, text_nl, text_en)
SELECT 2,
'Adoptieovereenkomst (versie 2)

1. U zorgt met aandacht voor het perk: u wiedt, geeft water als het droog is, ruimt zwerfafval op en plant alleen in overleg met de gemeente.
2. U gebruikt geen chemische bestrijdingsmiddelen en laat bomen, leidingen en verkeersborden met rust.
3. De grond blijft van de gemeente. De gemeente mag het perk altijd onderhouden, aanpassen of (met uitleg) terugnemen.
4. U werkt veilig: niet op de rijbaan, met handschoenen, en kinderen onder begeleiding.
5. U kunt de adoptie altijd beëindigen via Mijn perken. Na een lange periode zonder activiteit vragen we eerst hoe het gaat.
6. Wat u op Perkje deelt over uw werk is openbaar zonder uw naam, tenzij u zelf een weergavenaam kiest.',
'Adoption agreement (version 2)

1. You take good care of the plot: weed it, water it in dry weather, clear litter, and plant only after agreeing it with the municipality.
2. You use no chemical pesticides and leave trees, pipes and traffic signs alone.
3. The ground remains the municipality''s. The municipality may always maintain, change or (with an explanation) take back the plot.
4. You work safely: not on the road, with gloves, and children under supervision.
5. You can end the adoption at any time in My plots. After a long time without activity we first ask how things are going.
6. What you share on Perkje about your work is public without your name, unless you choose a display name yourself.'
WHERE (SELECT max(version) FROM adoption_agreements) = 1
	AND (SELECT text_nl FROM adoption_agreements WHERE version = 1) LIKE 'Adoptieovereenkomst (versie 1)%Je zorgt met aandacht voor het perk%'
ON CONFLICT (version) DO NOTHING;
