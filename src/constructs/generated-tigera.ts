import * as tigera from '../../imports/operator.tigera.io';
import { patchOnManifest } from './generated';

// JSON patches on the generated operator.tigera.io classes apply to the written JSON, as on the
// projectcalico.org ones (see generated.ts). A module of its own: loading the 550 KB of generated
// operator classes cost the reference synth about 20 ms, and the chart itself does not use them.
patchOnManifest(tigera);

export { tigera };
