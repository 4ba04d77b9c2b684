import { distanceInMeters, isWithinRadius } from './within-radius';

const puertaDelSol = { lat: 40.4168, lon: -3.7038 };

describe('withinRadius', () => {
  it.each([
    ['Madrid to Barcelona', puertaDelSol, { lat: 41.3874, lon: 2.1686 }, 505_000, 2_000],
    ['a point to itself', puertaDelSol, puertaDelSol, 0, 0.001],
    ['0.0027° of latitude', puertaDelSol, { lat: 40.4195, lon: -3.7038 }, 300, 1],
    ['across the antimeridian', { lat: 0, lon: 179.999 }, { lat: 0, lon: -179.999 }, 222, 1],
  ])('%s is about %d m', (_, from, to, meters, tolerance) => {
    expect(Math.abs(distanceInMeters(from, to) - meters)).toBeLessThanOrEqual(tolerance);
  });

  it.each([
    ['300 m away, radius 500 m', { lat: 40.4195, lon: -3.7038 }, true],
    ['700 m away, radius 500 m', { lat: 40.4231, lon: -3.7038 }, false],
    ['the centre itself', puertaDelSol, true],
    ['a point with extra properties', { lat: 40.4195, lon: -3.7038, accuracy: 12 }, true],
    ['coordinates as strings', { lat: '40.4168', lon: '-3.7038' }, false],
    ['a latitude off the globe', { lat: 91, lon: 0 }, false],
    ['no point at all', undefined, false],
    ['a number', 40.4, false],
  ])('%s → %s', (_, point, expected) => {
    expect(isWithinRadius(point, { ...puertaDelSol, meters: 500 })).toBe(expected);
  });
});
