/**
 * cdk-nag acknowledgements for what this library creates, without making cdk-nag a runtime dependency.
 *
 * cdk-nag 3 reads acknowledgements from the construct metadata aws-cdk-lib's `Validations` API writes.
 * Both are optional here: `Validations` exists from aws-cdk-lib 2.25x (cdk-nag 3 needs >= 2.257), and cdk-nag
 * is an optional peer dependency. On an older aws-cdk-lib there is no cdk-nag 3 to read them, so nothing is written.
 */
import * as cdk from 'aws-cdk-lib';
import { Aspects, CfnResource } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';

/** A cdk-nag rule: compliant, not applicable, non-compliant, or the list of non-compliant findings. */
export type NagRule = (node: CfnResource) => unknown;

/** The part of cdk-nag's `rules` export used here (declared locally so that no cdk-nag type reaches the package's typings). */
export interface NagRules {
  readonly iam: { readonly IAMNoManagedPolicies: NagRule; readonly IAMNoWildcardPermissions: NagRule };
}

export interface NagAcknowledgement {
  readonly id: string;
  readonly reason: string;
}

/** Records acknowledgements on `scope` (and everything under it) where aws-cdk-lib supports them. */
export function acknowledgeNag(scope: IConstruct, ...acknowledgements: NagAcknowledgement[]): void {
  (cdk as Partial<typeof cdk>).Validations?.of(scope).acknowledge(...acknowledgements);
}

/** cdk-nag's rule functions, if it is installed; loaded on first use at synth, never when this library is required. */
function installedNagRules(): NagRules | undefined {
  try {
    return (require('cdk-nag') as { rules?: NagRules }).rules;
  } catch {
    return undefined;
  }
}

/**
 * Acknowledges the findings of one cdk-nag rule under `scope` that match one of `allowed`, computed with the
 * rule itself once the template is final, so only the expected findings are acknowledged and any other fails.
 * Without cdk-nag installed there are no findings to acknowledge.
 */
export function acknowledgeNagFindings(scope: IConstruct, ruleId: string, ruleOf: (rules: NagRules) => NagRule,
  allowed: RegExp[], reason: string): void {
  Aspects.of(scope).add({
    visit(node: IConstruct) {
      if (!CfnResource.isCfnResource(node)) return;
      const nagRules = installedNagRules();
      if (!nagRules) return;
      const findings = ruleOf(nagRules)(node);
      if (!Array.isArray(findings)) return;
      for (const finding of findings as string[]) {
        if (allowed.some((pattern) => pattern.test(finding))) acknowledgeNag(node, { id: `${ruleId}[${finding}]`, reason });
      }
    },
  });
}
