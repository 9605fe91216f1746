/**
 * A plot's size in words a resident can picture. The bounding box ("242 × 246 meter") says
 * nothing about a plot that is a thin strip along a curving road: 868 m² drawn diagonally
 * across a block fills a box of 242 × 246 m. Instead the plot is described as the rectangle
 * with the same area and the same perimeter: its long side is how far it stretches, its
 * short side how wide it is.
 */
export interface PlotSize {
	/** The long side, in metres. */
	lengthM: number;
	/** The short side, in metres. */
	widthM: number;
	/** A strip (much longer than wide) is worth saying so: "een smalle strook". */
	strip: boolean;
}

/** Length over width from which a plot reads as a strip rather than a patch. */
const STRIP_RATIO = 4;

/** From the plot's area (m²) and perimeter (m), both measured in metres (RD New). */
export function plotSize(areaM2: number, perimeterM: number): PlotSize {
	if (!(areaM2 > 0) || !(perimeterM > 0)) return { lengthM: 0, widthM: 0, strip: false };
	// length + width = perimeter / 2 and length × width = area: the roots of a quadratic.
	const half = perimeterM / 2;
	const discriminant = half * half - 4 * areaM2;
	// A shape rounder than a square (a circle, a blob) has no such rectangle: call it a square.
	const lengthM = discriminant > 0 ? (half + Math.sqrt(discriminant)) / 2 : Math.sqrt(areaM2);
	const widthM = areaM2 / lengthM;
	return { lengthM, widthM, strip: lengthM / widthM >= STRIP_RATIO };
}
