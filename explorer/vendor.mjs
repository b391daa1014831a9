// Builds public/vendor/d3-force-<version>.js: d3-force and its three small dependencies as one
// minified ES module, so the explorer needs no build step at run time. Run `npm ci && npm run
// vendor` in explorer/ after changing versions in package.json, then commit the new file (and
// delete the old one). The banner names every bundled package and version; a test compares it
// with package-lock.json.
import { readFileSync, readdirSync, rmSync } from "node:fs";
import { build } from "esbuild";

const here = new URL(".", import.meta.url).pathname;
const bundled = ["d3-force", "d3-quadtree", "d3-dispatch", "d3-timer"];
const version = (name) =>
  JSON.parse(readFileSync(`${here}node_modules/${name}/package.json`, "utf8")).version;

const names = bundled.map((name) => `${name}@${version(name)}`).join(" ");
const outDir = `${here}public/vendor`;
for (const old of readdirSync(outDir).filter((f) => f.startsWith("d3-force-"))) {
  rmSync(`${outDir}/${old}`);
}

await build({
  stdin: {
    contents:
      'export { forceSimulation, forceLink, forceManyBody, forceCollide, forceX, forceY } from "d3-force";',
    resolveDir: here,
  },
  bundle: true,
  minify: true,
  format: "esm",
  target: "es2020",
  legalComments: "none",
  banner: { js: `// ${names} (ISC licence, Mike Bostock); bundled by explorer/vendor.mjs` },
  outfile: `${outDir}/d3-force-${version("d3-force")}.js`,
});
console.log(`built ${outDir}/d3-force-${version("d3-force")}.js: ${names}`);
