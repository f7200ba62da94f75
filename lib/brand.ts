/** The brand as pages use it: name, icon, colour and a readable text colour on it. */
import { getConfig } from "@/lib/config";

export function brand() {
  const { name, iconUrl, color } = getConfig().brand;
  return { name, iconUrl, color, foreground: readableOn(color) };
}

/** Black or white, whichever contrasts more with a #rrggbb background (WCAG luminance). */
export function readableOn(hex: string): "#000000" | "#ffffff" {
  const channel = (offset: number) => {
    const value = parseInt(hex.slice(offset, offset + 2), 16) / 255;
    return value <= 0.03928 ? value / 12.92 : ((value + 0.055) / 1.055) ** 2.4;
  };
  const luminance = 0.2126 * channel(1) + 0.7152 * channel(3) + 0.0722 * channel(5);
  return (luminance + 0.05) / 0.05 > 1.05 / (luminance + 0.05) ? "#000000" : "#ffffff";
}
