import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createLogging } from './logger.js';

describe('layer loggers', () => {
  const collect = (): { lines: string[]; sink: { write: (l: string) => void } } => {
    const lines: string[] = [];
    return { lines, sink: { write: (l) => void lines.push(l) } };
  };

  it('prefixes text lines with the layer and adds a layer field to JSON, children included', () => {
    const { lines, sink } = collect();
    const logging = createLogging({ format: 'text', level: 'INFO', sink });
    logging.logger('build', { layer: 'compute' }).child('buildah').info('hello');
    logging.logger('build').info('plain');
    logging.configure({ format: 'json' });
    logging.logger('build', { layer: 'debug' }).warn('careful');
    assert.deepEqual(lines.slice(0, 2), ['INFO - [compute] hello', 'INFO - plain']);
    const json = JSON.parse(lines[2] ?? '{}') as Record<string, string>;
    assert.equal(json.layer, 'debug');
    assert.equal(json.component, 'build');
    assert.equal(json.level, 'WARNING');
  });

  it("uses the logger's own level over the instance's", () => {
    const { lines, sink } = collect();
    const logging = createLogging({ format: 'text', level: 'INFO', sink });
    logging.logger('build', { layer: 'a', level: 'DEBUG' }).debug('shown');
    logging.logger('build', { layer: 'b', level: 'ERROR' }).info('hidden');
    logging.logger('build').debug('hidden too');
    assert.deepEqual(lines, ['INFO - [a] shown'.replace('INFO', 'DEBUG')]);
  });

  it('two instances share nothing: level, format, sink and secrets are each their own', () => {
    const a = collect();
    const b = collect();
    const one = createLogging({ level: 'DEBUG', format: 'json', sink: a.sink });
    const two = createLogging({ sink: b.sink });
    one.registerSecret('s3cret-one');
    one.logger('x').debug('s3cret-one');
    two.logger('x').debug('not shown at INFO');
    two.logger('x').info('s3cret-one is not a secret here');
    assert.equal((JSON.parse(a.lines[0] ?? '{}') as { message: string }).message, '***');
    assert.deepEqual(b.lines, ['INFO - s3cret-one is not a secret here']);
  });

  it('a logger made before a change of level follows it', () => {
    const { lines, sink } = collect();
    const logging = createLogging({ sink });
    const log = logging.logger('cli');
    log.debug('hidden');
    logging.configure({ level: 'DEBUG' });
    log.debug('shown');
    assert.deepEqual(lines, ['DEBUG - shown']);
    assert.equal(log.isEnabled('DEBUG'), true);
  });
});
