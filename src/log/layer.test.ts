import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import { configureLogging, getLogger } from './logger.js';

describe('layer loggers', () => {
  const lines: string[] = [];
  const sink = { write: (l: string) => void lines.push(l) };
  afterEach(() => {
    lines.length = 0;
    configureLogging({ format: 'text', level: 'INFO', sink: { write: (l) => process.stderr.write(`${l}\n`) } });
  });

  it('prefixes text lines with the layer and adds a layer field to JSON, children included', () => {
    configureLogging({ format: 'text', level: 'INFO', sink });
    getLogger('build', { layer: 'compute' }).child('buildah').info('hello');
    getLogger('build').info('plain');
    configureLogging({ format: 'json' });
    getLogger('build', { layer: 'debug' }).warn('careful');
    assert.deepEqual(lines.slice(0, 2), ['INFO - [compute] hello', 'INFO - plain']);
    const json = JSON.parse(lines[2] ?? '{}') as Record<string, string>;
    assert.equal(json.layer, 'debug');
    assert.equal(json.component, 'build');
    assert.equal(json.level, 'WARNING');
  });

  it("uses the logger's own level over the global one", () => {
    configureLogging({ format: 'text', level: 'INFO', sink });
    getLogger('build', { layer: 'a', level: 'DEBUG' }).debug('shown');
    getLogger('build', { layer: 'b', level: 'ERROR' }).info('hidden');
    getLogger('build').debug('hidden too');
    assert.deepEqual(lines, ['INFO - [a] shown'.replace('INFO', 'DEBUG')]);
  });
});
