// Build the front end: `npm run build`.
//
// Output goes to static/build/ (git-ignored), which Django's staticfiles finds
// through STATICFILES_DIRS = [BASE_DIR / "static"]:
//
//   static/build/porch.css                 GOV.UK Frontend + Porch, compressed
//   static/build/porch.js                  ES module entry point
//   static/build/govuk-frontend.min.js     GOV.UK Frontend (ES module) + .map
//   static/build/assets/images/            GOV.UK Frontend images
//
// The GDS Transport fonts are deliberately NOT copied: they are licensed for
// GOV.UK only, and porch.scss uses system fonts instead.
import { cp, copyFile, mkdir, rm, writeFile } from 'node:fs/promises'
import { fileURLToPath } from 'node:url'
import path from 'node:path'
import * as sass from 'sass'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const out = path.join(root, 'static', 'build')
const govuk = path.join(root, 'node_modules', 'govuk-frontend', 'dist', 'govuk')

await rm(out, { recursive: true, force: true })
await mkdir(path.join(out, 'assets'), { recursive: true })

const result = sass.compile(path.join(root, 'frontend', 'porch.scss'), {
  style: 'compressed',
  importers: [new sass.NodePackageImporter(root)],
  quietDeps: true
})
if (/GDS Transport/.test(result.css) || /\/fonts\//.test(result.css)) {
  throw new Error('porch.css must not refer to GDS Transport or its font files')
}
await writeFile(path.join(out, 'porch.css'), result.css + '\n')

await copyFile(path.join(root, 'frontend', 'porch.js'), path.join(out, 'porch.js'))
// The source map is copied too: Django's ManifestStaticFilesStorage follows
// the sourceMappingURL comment and fails collectstatic if the map is missing.
for (const name of ['govuk-frontend.min.js', 'govuk-frontend.min.js.map']) {
  await copyFile(path.join(govuk, name), path.join(out, name))
}
await cp(path.join(govuk, 'assets', 'images'), path.join(out, 'assets', 'images'), { recursive: true })

console.log(`Built ${path.relative(root, out)}/ (porch.css ${result.css.length} bytes)`)
