import { packageBuild } from '../../tsup.base'

export default packageBuild({ index: 'src/index.ts', arbitraries: 'src/arbitraries/index.ts', conformance: 'src/conformance/index.ts' })
