// TEMPORARY until src/glacier/migrate-copy.ts lands: the copy is refused, so only the paths that do
// not copy run.
import { ConsoleError } from "../../core/errors.ts";
import type { MigrateCopy } from "./migrate-context.ts";

export const copy: MigrateCopy = () => Promise.reject(new ConsoleError("the streamed copy is not in this build yet"));
