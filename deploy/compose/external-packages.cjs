// Lists the folders (relative to the repository) of the packages dist/aura.js leaves external, with their dependencies.
const path = require("path");
const fs = require("fs");

const root = process.argv[2];
const seen = new Set();
const visit = (name, from) => {
  // Node's own lookup, up the node_modules folders (a package's "exports" may hide its package.json from require).
  let dir;
  for (let at = from; !dir; at = path.dirname(at)) {
    if (fs.existsSync(path.join(at, "node_modules", name, "package.json"))) dir = path.join(at, "node_modules", name);
    else if (at === path.dirname(at)) return; // an optional dependency that is not installed
  }
  if (seen.has(dir)) return;
  seen.add(dir);
  const json = JSON.parse(fs.readFileSync(path.join(dir, "package.json"), "utf8"));
  for (const dep of Object.keys({ ...json.dependencies, ...json.optionalDependencies })) visit(dep, dir);
};
// The externals of esbuild.mjs.
for (const name of ["@electric-sql/pglite", "pino", "thread-stream", "pino-pretty", "ssh2", "cpu-features"]) visit(name, root);
console.log([...seen].map((d) => path.relative(root, d)).sort().join("\n"));
