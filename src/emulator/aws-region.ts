// The shape of every AWS region name, shared by the region choice (regions.ts) and strict signing
// (sigv4.ts). A made-up name such as xx-nowhere-9 is not a region: strict auth refuses it, as Glacier would.
const AWS_REGION =
  /^(af|ap|ca|cn|eu|il|me|mx|sa|us)(-gov)?-(central|east|north|northeast|northwest|south|southeast|southwest|west)-\d$/;

/** Whether a name has the shape of an AWS region (us-east-1, eu-central-2, us-gov-west-1, cn-northwest-1). */
export function isAwsRegion(name: string): boolean {
  return AWS_REGION.test(name);
}
