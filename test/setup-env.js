// Tests run in UTC so date arithmetic and CSV output are stable on every machine.
process.env.TZ = 'UTC';
