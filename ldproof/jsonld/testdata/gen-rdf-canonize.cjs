// Canonicalizes every graph of rdf-canonize/inputs.json with rdf-canonize
// (5.x as RDFC-1.0, and 3.x — jsonld 8.3.3's — as URDNA2015) and writes
// rdf-canonize/cases.json, the oracle of TestCanonicalizeMatchesRDFCanonize.
// Run from a scratch directory where `npm install jsonld@8.3.3
// rdf-canonize@5` was done:
//   node gen-rdf-canonize.cjs /path/to/ldproof/jsonld/testdata/rdf-canonize
const fs = require('fs');
const path = require('path');
const rc5 = require('rdf-canonize');
const rc3 = require('./node_modules/jsonld/node_modules/rdf-canonize');

(async () => {
  const dir = process.argv[2];
  const inputs = JSON.parse(fs.readFileSync(path.join(dir, 'inputs.json'), 'utf8'));
  const cases = [];
  for (const input of inputs) {
    const rdfc10 = await rc5.canonize(input, {algorithm: 'RDFC-1.0', inputFormat: 'application/n-quads', maxWorkFactor: Infinity});
    const urdna2015 = await rc3.canonize(rc3.NQuads.parse(input), {algorithm: 'URDNA2015'});
    cases.push({input, urdna2015, rdfc10});
  }
  fs.writeFileSync(path.join(dir, 'cases.json'), JSON.stringify(cases, null, 1));
})();
