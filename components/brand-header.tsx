import { brand } from "@/lib/brand";

/** The portal's icon and name, on every screen a person signs in through. */
export function BrandHeader() {
  const { name, iconUrl } = brand();
  return (
    <div className="mb-6 flex items-center gap-3">
      {/* eslint-disable-next-line @next/next/no-img-element -- the icon URL is configured at run time */}
      <img src={iconUrl} alt="" width={36} height={36} className="h-9 w-9 rounded-lg" />
      <span className="text-lg font-semibold tracking-tight">{name}</span>
    </div>
  );
}
