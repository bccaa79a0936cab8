import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { makeSpec } from '../../test/unit/spec.js';
import { ansibleLabels } from './ansible.js';

describe('ansibleLabels', () => {
  it('records playbooks relative to the config dir (absolute when outside it) and the groups', () => {
    const spec = makeSpec({
      configDir: '/cfg',
      layerType: 'ansible',
      ansible: {
        groups: ['compute', 'io'],
        playbooks: ['/cfg/site.yaml', '/cfg/pb/ntp.yaml', '/opt/shared/base.yaml'],
        inventory: [],
        vars: {},
        verbosity: 0,
      },
    });
    assert.deepEqual(ansibleLabels(spec), {
      'org.openchami.image.playbooks': 'site.yaml,pb/ntp.yaml,/opt/shared/base.yaml',
      'org.openchami.image.groups': 'compute,io',
    });
  });

  it('adds nothing to a base layer', () => {
    assert.deepEqual(ansibleLabels(makeSpec()), {});
  });
});
