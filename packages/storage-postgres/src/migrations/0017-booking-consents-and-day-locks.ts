/**
 * Booking from the portal: the consents guardians accepted before booking (seed 001), one row
 * per (site, consent, guardian) with the instant of the acceptance (a withdrawal deletes the
 * row); and one row per (site, service, day) that bookers lock (`lockServiceDays`) before they
 * count a day's bookings against its capacity.
 *
 * @internal
 */
export const migration0017 = {
  version: 17,
  name: 'booking-consents-and-day-locks',
  sql: `
CREATE TABLE ecole_consent_acceptances (
  site_id text COLLATE "C" NOT NULL,
  consent_id text COLLATE "C" NOT NULL,
  guardian_id text COLLATE "C" NOT NULL,
  accepted_at timestamptz NOT NULL,
  PRIMARY KEY (site_id, consent_id, guardian_id)
);
CREATE TABLE ecole_booking_day_locks (
  site_id text COLLATE "C" NOT NULL,
  service_id text COLLATE "C" NOT NULL,
  date date NOT NULL,
  PRIMARY KEY (site_id, service_id, date)
);
CREATE INDEX ecole_consent_acceptances_by_guardian ON ecole_consent_acceptances (site_id, guardian_id, consent_id);
`,
}
