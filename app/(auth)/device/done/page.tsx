import type { Metadata } from "next";
import { AuthShell } from "@/components/auth-shell";

export const metadata: Metadata = { title: "Device" };

type SearchParams = Promise<Record<string, string | string[] | undefined>>;

const MESSAGES: Record<string, [string, string]> = {
  approved: ["Device connected", "You can go back to your device: it continues on its own."],
  denied: ["Request denied", "The device gets no access. You can close this page."],
  expired: ["This code is no longer waiting", "It was already answered, or it expired. Start again on the device."],
};

export default async function DeviceDonePage({ searchParams }: { searchParams: SearchParams }) {
  const result = (await searchParams).result;
  const [title, text] = MESSAGES[typeof result === "string" ? result : ""] ?? MESSAGES.expired!;
  return (
    <AuthShell title={title}>
      <p className="text-sm text-slate-700">{text}</p>
    </AuthShell>
  );
}
