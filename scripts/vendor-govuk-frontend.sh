#!/usr/bin/env bash
# Refreshes static/vendor/govuk-frontend/ from the govuk-frontend npm package.
# Run by `make vendor` (needs Node.js and npm; nothing else in the project does).
# The compiled files are committed so that `make run` needs only Python, the same
# way Django's admin vendors its JavaScript.
set -euo pipefail
version="${GOVUK_FRONTEND_VERSION:-6.6.0}"
root="$(cd "$(dirname "$0")/.." && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
cd "$work"
npm init -y >/dev/null
npm install --no-audit --no-fund --silent "govuk-frontend@${version}" sass >/dev/null
out="$root/static/vendor/govuk-frontend"
rm -rf "$out"
mkdir -p "$out/css" "$out/js" "$out/assets"
npx sass --no-source-map --style=compressed --quiet-deps --silence-deprecation=import \
  --load-path=node_modules "$root/static/src/policyhub.scss" "$out/css/policyhub.min.css"
cp node_modules/govuk-frontend/dist/govuk/govuk-frontend.min.js "$out/js/"
# Images only, and not the crest: the crown and GDS Transport are reserved for GOV.UK.
mkdir -p "$out/assets/images"
for f in favicon.ico favicon.svg govuk-icon-mask.svg; do
  cp "node_modules/govuk-frontend/dist/govuk/assets/images/$f" "$out/assets/images/"
done
# The crest is referenced by footer/exit-page styles we do not use; a blank image keeps
# the stylesheet's references resolvable without shipping the reserved artwork.
echo '<svg xmlns="http://www.w3.org/2000/svg" width="1" height="1"/>' > "$out/assets/images/govuk-crest.svg"
cat > "$out/LICENSE.txt" <<LICENCE
govuk-frontend ${version} — https://www.npmjs.com/package/govuk-frontend
Released under the MIT License. Copyright (c) Crown Copyright (Government Digital Service).

Permission is hereby granted, free of charge, to any person obtaining a copy of this software
and associated documentation files (the "Software"), to deal in the Software without
restriction, including without limitation the rights to use, copy, modify, merge, publish,
distribute, sublicense, and/or sell copies of the Software, and to permit persons to whom the
Software is furnished to do so, subject to the following conditions:

The above copyright notice and this permission notice shall be included in all copies or
substantial portions of the Software.

THE SOFTWARE IS PROVIDED "AS IS", WITHOUT WARRANTY OF ANY KIND, EXPRESS OR IMPLIED, INCLUDING
BUT NOT LIMITED TO THE WARRANTIES OF MERCHANTABILITY, FITNESS FOR A PARTICULAR PURPOSE AND
NONINFRINGEMENT. IN NO EVENT SHALL THE AUTHORS OR COPYRIGHT HOLDERS BE LIABLE FOR ANY CLAIM,
DAMAGES OR OTHER LIABILITY, WHETHER IN AN ACTION OF CONTRACT, TORT OR OTHERWISE, ARISING FROM,
OUT OF OR IN CONNECTION WITH THE SOFTWARE OR THE USE OR OTHER DEALINGS IN THE SOFTWARE.
LICENCE
echo "govuk-frontend ${version}" > "$out/VERSION"
echo "Vendored govuk-frontend ${version} into ${out#$root/}"
