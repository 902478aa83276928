/** 405 detection: a path some route serves, asked with a method none of them takes. */

/** Given the app's routes, a function answering the allowed methods for a path (or undefined). */
export function methodNotAllowed(routes: readonly { method: string; path: string }[]) {
  const compiled = routes
    .filter((route) => route.method !== "ALL")
    .map((route) => ({ method: route.method, pattern: pathPattern(route.path) }));
  return function allowedMethods(method: string, path: string): string[] | undefined {
    const allowed = new Set(
      compiled.filter((route) => route.pattern.test(path)).map((route) => route.method),
    );
    if (allowed.size === 0 || allowed.has(method)) return undefined;
    if (allowed.has("GET")) allowed.add("HEAD");
    return [...allowed].sort();
  };
}

function pathPattern(path: string): RegExp {
  const source = path
    .split("/")
    .map((segment) =>
      segment.startsWith(":")
        ? "[^/]+"
        : segment === "*"
        ? ".*"
        : segment.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")
    )
    .join("/");
  return new RegExp(`^${source}/?$`);
}
