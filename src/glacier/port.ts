// The port moved to src/backend/port.ts (docs/backends.md); kept so the vault plugin's files import it
// where they always did.
export type * from "../backend/port.ts";
