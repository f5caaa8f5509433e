// Writes the URDNA2015 canonical N-Quads that jsonld.js (8.3.3, safe mode)
// produces for a set of shared vectors and bench inputs, each with and
// without its proof, as golden files for ldproof/jsonld's tests.
// Run from a scratch directory with jsonld installed:
//   node gen-canon.mjs /path/to/shared /path/to/ldproof/jsonld/testdata/jsonld-js
import jsonld from 'jsonld';
import fs from 'node:fs';
import path from 'node:path';

const [shared, out] = process.argv.slice(2);
const ctxDir = path.join(shared, 'vectors', 'contexts');
const index = JSON.parse(fs.readFileSync(path.join(ctxDir, 'index.json')));
index['https://example.org/contexts/claims/v1'] = '../../bench/contexts/example-claims-v1.jsonld';
const documentLoader = async (url) => {
  if (!index[url]) throw new Error('no offline context for ' + url);
  return {contextUrl: null, documentUrl: url,
    document: JSON.parse(fs.readFileSync(path.join(ctxDir, index[url])))};
};
const files = [
  'vectors/ed25519-2018/dif-pex-sample-implementation/vc-ld.json',
  'vectors/ed25519-2020/trustbloc-vc-go/example_presentation_2_ed25519.json',
  'vectors/ed25519-2020/trustbloc-vc-go/example_presentation_3_ed25519.json',
  'vectors/di-eddsa/trustbloc-vc-go/example_presentation_1_ed25519.jsonld',
  'vectors/di-eddsa/proof-set-chain/signedProofChain2.json',
  'vectors/di-eddsa/eddsa-rdfc-2022/employ/signedDataInt.json',
  'vectors/ed25519-2020/w3c-vc-di-eddsa/signedEdSig.json',
  'bench/vp1-ed25519-2020.json',
  'bench/vp3-ed25519-2020.json',
];
for (const f of files) {
  const doc = JSON.parse(fs.readFileSync(path.join(shared, f)));
  const bare = {...doc};
  delete bare.proof;
  for (const [suffix, d] of [['', doc], ['.noproof', bare]]) {
    const nq = await jsonld.canonize(d, {algorithm: 'URDNA2015', format: 'application/n-quads', documentLoader, safe: true});
    fs.writeFileSync(path.join(out, f.replaceAll('/', '__') + suffix + '.nq'), nq);
  }
}
