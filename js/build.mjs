// Bundles each view's ES module (and its CSS) into micropython_kernel/widgets/static/, where the
// Python widgets read them. Run by the package's build (hatch_build.py), or by hand: `npm run build`.
import * as esbuild from "esbuild";

const views = ["chart"];
await esbuild.build({
  entryPoints: views.map((name) => `src/${name}.js`),
  outdir: "../micropython_kernel/widgets/static",
  bundle: true,
  format: "esm",
  minify: true,
  target: "es2020",
  legalComments: "eof",
  logLevel: "warning",
});
