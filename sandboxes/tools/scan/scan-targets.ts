/**
 * Which simulated hosts a target names: a domain (every host under it), a host name, an
 * address, or a CIDR range of simulated addresses. Hosts come from the lab network map plus
 * the story's known hosts, so a host with every port closed still shows up as "up, all closed".
 */
import { SIMULATED_HOSTS, type NetworkMap } from '../../world/network/resolve.ts';

export interface ScanHost {
  name: string;
  address: string;
}

function knownHosts(map: NetworkMap): ScanHost[] {
  const hosts = new Map<string, ScanHost>();
  for (const host of SIMULATED_HOSTS) hosts.set(host.name, { name: host.name, address: host.address });
  for (const [name, host] of Object.entries(map.hosts)) hosts.set(name, { name, address: host.address });
  return [...hosts.values()].sort((a, b) => ipNumber(a.address) - ipNumber(b.address));
}

function ipNumber(address: string): number {
  const parts = address.split('.').map(Number);
  if (parts.length !== 4 || parts.some((part) => !Number.isInteger(part) || part < 0 || part > 255)) return NaN;
  return ((parts[0]! << 24) >>> 0) + (parts[1]! << 16) + (parts[2]! << 8) + parts[3]!;
}

/** Hosts for one target, or undefined when the lab network has nothing by that name. */
export function hostsForTarget(map: NetworkMap, target: string): ScanHost[] | undefined {
  const wanted = target.trim().toLowerCase().replace(/\.$/, '');
  const hosts = knownHosts(map);
  const cidr = /^(\d+\.\d+\.\d+\.\d+)\/(\d{1,2})$/.exec(wanted);
  if (cidr) {
    const bits = Number(cidr[2]);
    const mask = bits === 0 ? 0 : (~0 << (32 - bits)) >>> 0;
    const base = ipNumber(cidr[1]!);
    if (Number.isNaN(base) || bits > 32) return undefined;
    return hosts.filter((host) => ((ipNumber(host.address) & mask) >>> 0) === ((base & mask) >>> 0));
  }
  const exact = hosts.filter((host) => host.name === wanted || host.address === wanted);
  if (exact.length) return exact;
  const under = hosts.filter((host) => host.name.endsWith(`.${wanted}`));
  return under.length ? under : undefined;
}
