import { isIanaZone, isTimeOfDay } from './time-of-day';

describe('time of day "HH:MM"', () => {
  it.each(['00:00', '09:00', '21:30', '23:59'])('%s is a time of day', (text) => {
    expect(isTimeOfDay(text)).toBe(true);
  });

  it.each(['24:00', '25:00', '9:00', '09:60', '09:00:00', '0900', '', 'noon'])('%j is not a time of day', (text) => {
    expect(isTimeOfDay(text)).toBe(false);
  });
});

describe('IANA time zones', () => {
  it.each([
    ['Europe/Madrid', true],
    ['America/New_York', true],
    ['UTC', true],
    ['recipient', false],
    ['Mars/Olympus_Mons', false],
    ['', false],
  ])('%s is a zone: %s', (name, expected) => {
    expect(isIanaZone(name)).toBe(expected);
  });
});

describe('isIanaZone, asked again', () => {
  it('answers the same from its memory', () => {
    for (let i = 0; i < 3; i++) {
      expect(isIanaZone('Europe/Madrid')).toBe(true);
      expect(isIanaZone('Mars/Olympus')).toBe(false);
    }
  });
});
