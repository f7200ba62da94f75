/**
 * Times as pages show them: in UTC, and saying so. The server does not know
 * a person's time zone, and a time without one is ambiguous.
 */
const dateTime = new Intl.DateTimeFormat("en-GB", { dateStyle: "medium", timeStyle: "short", timeZone: "UTC" });
const dateTimeSeconds = new Intl.DateTimeFormat("en-GB", { dateStyle: "medium", timeStyle: "medium", timeZone: "UTC" });

export function formatTime(date: Date, options: { seconds?: boolean } = {}): string {
  return `${(options.seconds ? dateTimeSeconds : dateTime).format(date)} UTC`;
}
