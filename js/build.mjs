// Bundles each view's ES module (and its CSS) into micropython_kernel/widgets/static/, where the
// Python widgets read them. Run by the package's build (hatch_build.py), or by hand: `npm run build`.
import * as esbuild from "esbuild";

const views = ["chart", "board", "heapmap", "timeline"];
// A page may load a view's module more than once (one per widget model): defining a custom element
// twice throws, so a second definition of the same name is skipped.
const defineOnce = `if (!customElements.mpkDefineOnce) {
  const define = customElements.define.bind(customElements);
  customElements.define = (name, element, options) => customElements.get(name) || define(name, element, options);
  customElements.mpkDefineOnce = true;
}`;
await esbuild.build({
  banner: { js: defineOnce },
  entryPoints: views.map((name) => `src/${name}.js`),
  outdir: "../micropython_kernel/widgets/static",
  bundle: true,
  format: "esm",
  minify: true,
  target: "es2020",
  legalComments: "eof",
  logLevel: "warning",
});
