// Runs the dcql 3.0.0 library (OpenWallet Foundation Labs, dcql-ts) on
// the cases of ../cases.json: does it accept each query (DcqlQuery.parse
// + validate), and, for the cases with presentations, does the vp_token
// satisfy the query (DcqlPresentationResult.fromDcqlPresentation) and
// which credential queries match, with which claim set. Run once (npm ci
// && npm run gen); ../dcql-js-results.json is committed and the Go tests
// compare against it, never running Node.
import { readFileSync, writeFileSync } from 'node:fs'
import { DcqlQuery, DcqlPresentationResult } from 'dcql'

const cases = JSON.parse(readFileSync(new URL('../cases.json', import.meta.url))).cases
const version = JSON.parse(readFileSync(new URL('node_modules/dcql/package.json', import.meta.url))).version
const results = {}
for (const c of cases) {
  const r = {}
  let query
  try {
    query = DcqlQuery.parse(c.query)
    DcqlQuery.validate(query)
    r.query_valid = true
  } catch (e) {
    r.query_valid = false
    r.query_error = e.constructor?.name ?? 'Error'
  }
  if (r.query_valid && c.presentations) {
    try {
      const res = DcqlPresentationResult.fromDcqlPresentation(c.presentations, { dcqlQuery: query })
      r.satisfied = res.can_be_satisfied
      r.matches = {}
      for (const [id, m] of Object.entries(res.credential_matches)) {
        const first = m.success ? m.valid_credentials?.[0] : undefined
        const set = first?.claims?.valid_claim_sets?.[0]?.claim_set_index
        r.matches[id] = { success: m.success, claim_set: set ?? null }
      }
    } catch (e) {
      r.satisfied = false
      r.presentation_error = e.constructor?.name ?? 'Error'
    }
  }
  results[c.name] = r
}
writeFileSync(new URL('../dcql-js-results.json', import.meta.url),
  JSON.stringify({ generator: `dcql ${version}`, results }, null, 1) + '\n')
console.log('wrote', Object.keys(results).length, 'results')
