// Builds public/vendor/d3-force-<version>.js (d3-force and its three small dependencies as one
// minified ES module), public/vendor/plot-<version>.js (Observable Plot, for the Impact page's
// charts, below) and public/vendor/graphiql-<version>/ (below), so neither the explorer
// nor GraphiQL needs a build step or a CDN at run time. Run `npm ci && npm run
// vendor` in explorer/ after changing versions in package.json, then commit the new file (and
// delete the old one). The banner names every bundled package and version; a test compares it
// with package-lock.json.
import { mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { build, transform } from "esbuild";

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

// GraphiQL for /graphql, with the React it runs on: their own minified builds, copied as they
// are into one folder named for GraphiQL's version, so the page needs no CDN (blocked in many
// NHS networks). Each file starts with a line naming the package and version it came from.
const graphiql = `graphiql-${version("graphiql")}`;
for (const old of readdirSync(outDir).filter((f) => f.startsWith("graphiql-"))) {
  rmSync(`${outDir}/${old}`, { recursive: true });
}
mkdirSync(`${outDir}/${graphiql}`);
const copies = [
  ["react", "umd/react.production.min.js", "react.min.js", "MIT licence, Meta"],
  ["react-dom", "umd/react-dom.production.min.js", "react-dom.min.js", "MIT licence, Meta"],
  ["graphiql", "graphiql.min.js", "graphiql.min.js", "MIT licence, GraphQL contributors"],
  ["graphiql", "graphiql.min.css", "graphiql.min.css", "MIT licence, GraphQL contributors"],
];
for (const [name, from, to, licence] of copies) {
  // Source maps are not copied, so the comments pointing at them go too.
  const text = readFileSync(`${here}node_modules/${name}/${from}`, "utf8").replace(
    /\n?\/[/*][#@] sourceMappingURL=\S+( \*\/)?\s*$/,
    "\n",
  );
  const banner = `/* ${name}@${version(name)} (${licence}); copied by explorer/vendor.mjs */\n`;
  // GraphiQL's own ".min" build keeps webpack's module comments: minified here, far smaller,
  // licence comments kept at the end of the file.
  const loader = to.endsWith(".css") ? "css" : "js";
  const small = await transform(text, { loader, minify: true, legalComments: "eof" });
  writeFileSync(`${outDir}/${graphiql}/${to}`, banner + small.code);
}
console.log(`copied ${outDir}/${graphiql}: ${copies.map(([n]) => `${n}@${version(n)}`).join(" ")}`);

// Observable Plot for the Impact page's charts: the marks the page uses, with the parts of d3
// they need, as one minified ES module. The banner names every package bundled, read from
// esbuild's own list of inputs.
for (const old of readdirSync(outDir).filter((f) => f.startsWith("plot-"))) {
  rmSync(`${outDir}/${old}`);
}
const plotFile = `${outDir}/plot-${version("@observablehq/plot")}.js`;
const plotBuild = await build({
  stdin: {
    contents: 'export { plot, barY, lineY, dot, ruleY, stackY, gridY } from "@observablehq/plot";',
    resolveDir: here,
  },
  bundle: true,
  minify: true,
  format: "esm",
  target: "es2020",
  legalComments: "none",
  metafile: true,
  write: false,
  outfile: plotFile,
});
const plotPackages = [
  ...new Set(
    Object.keys(plotBuild.metafile.inputs)
      .map((input) => input.match(/node_modules\/((?:@[^/]+\/)?[^/]+)\//)?.[1])
      .filter(Boolean),
  ),
].sort();
const plotNames = plotPackages.map((name) => `${name}@${version(name)}`).join(" ");
writeFileSync(
  plotFile,
  `// ${plotNames} (ISC licences, Observable and Mike Bostock); bundled by explorer/vendor.mjs\n` +
    plotBuild.outputFiles[0].text,
);
console.log(`built ${plotFile}: ${plotNames}`);
