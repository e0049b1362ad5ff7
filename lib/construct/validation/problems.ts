/** Collects every problem in the props so one error lists them all, instead of stopping at the first. */

/** Thrown at synth time when the props break AWS's rules; `problems` holds one line per problem. */
export class SiteToSiteVpnValidationError extends Error {
  constructor(public readonly problems: readonly string[]) {
    super(`Invalid SiteToSiteVpn configuration (${problems.length} problem${problems.length === 1 ? '' : 's'}):\n` +
      problems.map((p) => `  - ${p}`).join('\n'));
    this.name = 'SiteToSiteVpnValidationError';
  }
}

/** Where a problem is: the whole construct, a site, or one tunnel of a site (numbered from 1 as AWS does). */
export interface Location {
  readonly site?: string;
  readonly tunnel?: number;
}

export function describeLocation(at: Location): string {
  if (at.site === undefined) return 'SiteToSiteVpn';
  return at.tunnel === undefined ? `Site \`${at.site}\`` : `Site \`${at.site}\`, tunnel ${at.tunnel}`;
}

export class Problems {
  private readonly errorLines: string[] = [];
  private readonly warningLines: string[] = [];

  public error(at: Location, message: string): void {
    this.errorLines.push(`${describeLocation(at)}: ${message}`);
  }

  public warn(at: Location, message: string): void {
    this.warningLines.push(`${describeLocation(at)}: ${message}`);
  }

  public get errors(): readonly string[] {
    return this.errorLines;
  }

  public get warnings(): readonly string[] {
    return this.warningLines;
  }

  public throwIfErrors(): void {
    if (this.errorLines.length > 0) throw new SiteToSiteVpnValidationError(this.errorLines);
  }
}
