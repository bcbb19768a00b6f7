// CSV files with their Table Schemas, as tableschema-js reads them: Table.load(csv, {schema}) with
// nothing else said (no delimiter given: the library sniffs it). Arguments: pairs of csv, schema.
// Prints {csv: rows} as JSON, or {csv: "ERROR ..."}.
const {Table} = require('tableschema')

async function main () {
  const args = process.argv.slice(2)
  const out = {}
  for (let i = 0; i < args.length; i += 2) {
    try {
      const table = await Table.load(args[i], {schema: args[i + 1]})
      out[args[i]] = (await table.read({keyed: true})).length
    } catch (error) {
      out[args[i]] = 'ERROR ' + (error.errors || [error]).map(String).join('; ').slice(0, 500)
    }
  }
  console.log(JSON.stringify(out))
}

main()
