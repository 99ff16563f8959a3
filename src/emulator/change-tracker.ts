import { defined } from "../core/errors.ts";
// Which records a transaction changed, so that only they are appended to DIR/state.log (store.ts)
// instead of rewriting every vault, archive, job and upload in state.json on every request.
//
// The model changes the state in place (`state.jobs[id] = job`, `delete vault.archives[id]`,
// `upload.lastActivity = now`), so the transaction hands it a Proxy of the state that records the
// path of every property set or deleted. An array counts as one value: a change anywhere inside one
// records the array's path (retrievals.push, a filtered copy, an inventory's archive list).
// At commit each recorded path is written with the value it holds then (or as deleted), so a
// record changed several times is written once, as it ended.

/** One change: the path and the value it now holds, or only the path when it was deleted. */
export type Change = [path: string[]] | [path: string[], value: unknown];

export interface Tracker<T extends object> {
  /** The state to hand the model: reads see the records, writes are recorded. */
  readonly state: T;
  /** Whether anything was set or deleted. */
  changed(): boolean;
  /** The changes, a path whose ancestor also changed left out (the ancestor's value holds it). */
  changes(): Change[];
}

export function track<T extends object>(root: T): Tracker<T> {
  const paths = new Map<string, string[]>();
  const proxies = new WeakMap<object, object>();
  const targets = new WeakMap<object, object>();

  const record = (path: string[]) => paths.set(JSON.stringify(path), path);
  /** A value about to be stored holds raw records, never proxies (they would record under the wrong path). */
  const unwrap = (value: unknown): unknown => {
    if (typeof value !== "object" || value === null) return value;
    const target = targets.get(value);
    if (target) return target;
    for (const key of Object.keys(value)) {
      const inner = (value as Record<string, unknown>)[key];
      const raw = unwrap(inner);
      if (raw !== inner) (value as Record<string, unknown>)[key] = raw;
    }
    return value;
  };
  /** `at`: where a change inside this object is recorded (an array and all below it: the array). */
  const wrap = (target: object, path: string[], inArray: string[] | null): object => {
    const known = proxies.get(target);
    if (known) return known;
    const arrayPath = inArray ?? (Array.isArray(target) ? path : null);
    const changedAt = (key: string | symbol): string[] => arrayPath ?? [...path, String(key)];
    const proxy: object = new Proxy(target, {
      get(t, key, receiver) {
        const value: unknown = Reflect.get(t, key, receiver);
        if (typeof value !== "object" || value === null || typeof key === "symbol") return value;
        return wrap(value, [...path, key], arrayPath);
      },
      set(t, key, value, receiver): boolean {
        record(changedAt(key));
        // `vaults["__proto__"] = v` would call Object.prototype's setter and replace the prototype:
        // a name the user chose (a valid vault name, a tag key, a region in a signing scope) is
        // always an own property, as JSON.parse makes it.
        if (key === "__proto__")
          return Reflect.defineProperty(t, key, {
            value: unwrap(value),
            writable: true,
            enumerable: true,
            configurable: true,
          });
        return Reflect.set(t, key, unwrap(value), receiver === proxy ? t : receiver);
      },
      deleteProperty(t, key) {
        record(changedAt(key));
        return Reflect.deleteProperty(t, key);
      },
      defineProperty(t, key, descriptor) {
        record(changedAt(key));
        return Reflect.defineProperty(t, key, {
          ...descriptor,
          ...("value" in descriptor ? { value: unwrap(descriptor.value) } : {}),
        });
      },
    });
    proxies.set(target, proxy);
    targets.set(proxy, target);
    return proxy;
  };

  return {
    state: wrap(root, [], null) as T,
    changed: () => paths.size > 0,
    changes() {
      const sorted = [...paths.values()].sort((a, b) => a.length - b.length);
      const kept = new Set<string>();
      const out: Change[] = [];
      for (const path of sorted) {
        if (path.some((_, i) => i > 0 && kept.has(JSON.stringify(path.slice(0, i))))) continue;
        kept.add(JSON.stringify(path));
        const value = valueAt(root, path);
        out.push(value === undefined ? [path] : [path, value]);
      }
      return out;
    },
  };
}

function valueAt(root: object, path: string[]): unknown {
  let node: unknown = root;
  for (const key of path) {
    if (typeof node !== "object" || node === null || !Object.hasOwn(node, key)) return undefined;
    node = (node as Record<string, unknown>)[key];
  }
  return node;
}

/** Applies changes read back from the log to a state parsed from the snapshot. */
export function applyChanges(root: object, changes: readonly Change[]): void {
  for (const change of changes) {
    const path = change[0];
    let node = root as Record<string, unknown>;
    for (const key of path.slice(0, -1)) {
      const next = Object.hasOwn(node, key) ? node[key] : undefined;
      if (typeof next === "object" && next !== null) node = next as Record<string, unknown>;
      else {
        const fresh = {};
        setOwn(node, key, fresh);
        node = fresh;
      }
    }
    const last = defined(path[path.length - 1], "path[path.length - 1]");
    if (change.length === 1) Reflect.deleteProperty(node, last);
    else setOwn(node, last, change[1]);
  }
}

/** An own property even for a name such as `__proto__` (a valid vault name), as JSON.parse makes. */
function setOwn(node: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(node, key, { value, writable: true, enumerable: true, configurable: true });
}
