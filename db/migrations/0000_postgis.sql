-- PostGIS first: every later migration uses its types. Spatial reference 28992 (RD New)
-- ships with PostGIS, so imports can reproject Dutch data in the database.
CREATE EXTENSION IF NOT EXISTS postgis;
