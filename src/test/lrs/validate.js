// The statements on standard input (a JSON array) checked by xapi-validation, Learning Locker's xAPI validator, as
// an opinion independent of lms-sync's own schema: prints each statement's problems and exits 1 when there are any.
const rulr = require('rulr');
const { statement } = require('xapi-validation/dist/factory');

let input = '';
process.stdin.on('data', (data) => { input += data; });
process.stdin.on('end', () => {
  const statements = JSON.parse(input);
  let invalid = 0;
  statements.forEach((s, i) => {
    try {
      rulr.maybe(statement)(s, ['statements', i]);
    } catch (e) {
      invalid += 1;
      const why = (e.warnings || [e]).map((w) => `${(w.path || []).join('.')}: ${w.typeName || w.name || w.message}`);
      console.log(`statement ${i} (${s.id}): ${why.join('; ')}`);
    }
  });
  process.exit(invalid === 0 ? 0 : 1);
});
