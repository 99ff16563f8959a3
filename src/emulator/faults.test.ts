// Fault rule selection: by operation, vault, n-th, every n-th, times and probability.
import { describe, expect, it } from "vitest";
import { FaultInjector, parseFaults } from "./faults.ts";

const kinds = (injector: FaultInjector, op: string, vault = "") => injector.pick(op, vault).map((f) => f.kind);

describe("fault rules", () => {
  it("parses the text form into rules", () => {
    expect(parseFaults("throttle,op=UploadMultipartPart,nth=2; latency,ms=200,p=0.25")).toEqual([
      { kind: "throttle", operation: "UploadMultipartPart", nth: 2 },
      { kind: "latency", ms: 200, probability: 0.25 },
    ]);
  });

  it("refuses unknown kinds, unknown keys and probabilities above 1", () => {
    expect(() => parseFaults("meteor")).toThrow('unknown fault kind "meteor"');
    expect(() => parseFaults("500,colour=red")).toThrow("unknown key colour");
    expect(() => parseFaults("500,p=2")).toThrow("p must be between 0 and 1");
  });

  it("fires every n-th matching request, at most `times` times, only for its vault", () => {
    const injector = new FaultInjector("500,every=2,times=2,vault=a");
    const fired = Array.from({ length: 8 }, () => kinds(injector, "ListJobs", "a").length);
    expect(fired).toEqual([0, 1, 0, 1, 0, 0, 0, 0]);
    expect(kinds(new FaultInjector("500,vault=a"), "ListJobs", "b")).toEqual([]);
  });

  it("counts only requests of its operation towards nth", () => {
    const injector = new FaultInjector("reset,op=GetJobOutput,nth=2");
    expect([
      kinds(injector, "DescribeJob"),
      kinds(injector, "GetJobOutput"),
      kinds(injector, "DescribeJob"),
      kinds(injector, "GetJobOutput"),
    ]).toEqual([[], [], [], ["reset"]]);
  });
});
