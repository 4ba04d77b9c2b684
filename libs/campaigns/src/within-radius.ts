import { Operator } from 'json-rules-engine';

/** A place on Earth in decimal degrees, as a `location` event carries it. */
export interface GeoPoint {
  lat: number;
  lon: number;
}

/** The area of a `withinRadius` condition: a centre and a radius in meters. */
export interface GeoCircle extends GeoPoint {
  meters: number;
}

/** The mean Earth radius (IUGG); haversine on a sphere is well within a geofence's tolerance. */
const EARTH_RADIUS_METERS = 6_371_008.8;

export function isGeoPoint(value: unknown): value is GeoPoint {
  if (typeof value !== 'object' || value === null) return false;
  const { lat, lon } = value as Record<string, unknown>;
  return isInRange(lat, -90, 90) && isInRange(lon, -180, 180);
}

/** Great-circle distance in meters (haversine). */
export function distanceInMeters(from: GeoPoint, to: GeoPoint): number {
  const toRadians = (degrees: number) => (degrees * Math.PI) / 180;
  const dLat = toRadians(to.lat - from.lat);
  const dLon = toRadians(to.lon - from.lon);
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(toRadians(from.lat)) * Math.cos(toRadians(to.lat)) * Math.sin(dLon / 2) ** 2;
  return 2 * EARTH_RADIUS_METERS * Math.asin(Math.min(1, Math.sqrt(h)));
}

/** True when `point` lies inside the circle; anything that is not a point is outside. */
export function isWithinRadius(point: unknown, circle: GeoCircle): boolean {
  return isGeoPoint(point) && distanceInMeters(point, circle) <= circle.meters;
}

/** `{ fact: event, path: $.properties, operator: withinRadius, value: { lat, lon, meters } }`. */
export const withinRadiusOperator = new Operator<unknown, GeoCircle>('withinRadius', isWithinRadius, isGeoPoint);

function isInRange(value: unknown, min: number, max: number): value is number {
  return typeof value === 'number' && Number.isFinite(value) && value >= min && value <= max;
}
