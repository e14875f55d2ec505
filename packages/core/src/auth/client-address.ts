import ipaddr from "ipaddr.js";
import { z } from "zod";

/** A client's IP address as a caller passes it: IPv4 or IPv6, nothing else (no ranges, no names). */
export const ClientIp = z
  .union([z.string().max(15, { abort: true }).check(z.ipv4()), z.string().max(45, { abort: true }).check(z.ipv6())])
  .describe(
    "The end user's IP address (IPv4 or IPv6), for the lockout per address; without it, the caller's own address",
  );

/**
 * The address as the lockout counts it: an IPv4-mapped IPv6 address as its IPv4 address, and any
 * other IPv6 address by its /64 — the block one subscriber gets, so walking through it is still
 * one address. Anything unparsable (no address known) counts as one address, "unknown".
 */
export const addressKey = (ip: string | undefined): string => {
  if (!ip || !ipaddr.isValid(ip)) return "unknown";
  const address = ipaddr.process(ip);
  if (address instanceof ipaddr.IPv6)
    return `${address.parts
      .slice(0, 4)
      .map((p) => p.toString(16))
      .join(":")}::/64`;
  return address.toString();
};
