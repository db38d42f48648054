import { isValidTimeZone } from './time-zone';

describe('isValidTimeZone', () => {
  it.each(['UTC', 'Europe/Berlin', 'America/New_York', 'Asia/Kathmandu'])('accepts %s', (z) => {
    expect(isValidTimeZone(z)).toBe(true);
  });
  it.each(['', 'Mars/Olympus', 'GMT+25', 'Europe/Berlin; DROP', '+05:00', 'A'.repeat(65)])(
    'rejects %j',
    (z) => {
      expect(isValidTimeZone(z)).toBe(false);
    },
  );
});
