// A Data Package (datapackage.json or a release zip) as the reference JavaScript library loads it:
// every resource read with its relations (foreign keys) checked. Prints {resource: rows} as JSON,
// or {resource: "ERROR ..."}; {"load": "ERROR ..."} when the package itself does not load.
const {Package} = require('datapackage')

async function main () {
  const out = {}
  try {
    const pkg = await Package.load(process.argv[2])
    if (!pkg.valid) out.invalid = pkg.errors.map(String)
    for (const resource of pkg.resources) {
      try {
        out[resource.name] = (await resource.read({relations: true, keyed: true})).length
      } catch (error) {
        out[resource.name] = 'ERROR ' + (error.errors || [error]).map(String).join('; ').slice(0, 500)
      }
    }
  } catch (error) {
    out.load = 'ERROR ' + String(error).slice(0, 500)
  }
  console.log(JSON.stringify(out))
}

main()
