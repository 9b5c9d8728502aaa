// Unit tests of the rules: `node --test` in this folder.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Match, parseShape } from './game.js';

const bytes = (s) => new TextEncoder().encode(s);

test('rounds score the winning shape', () => {
  const m = new Match(2);
  m.join('s1', 'alice');
  m.join('s2', 'bob');
  assert.equal(m.throw('s1', 'rock'), null);
  assert.deepEqual(m.throw('s2', 'scissors'), { scoreboard: 'alice=1,bob=0' });
  m.throw('s1', 'paper');
  assert.deepEqual(m.throw('s2', 'paper'), { scoreboard: 'alice=1,bob=0' });
  m.throw('s1', 'paper');
  assert.deepEqual(m.throw('s2', 'rock'), { winner: 'alice', scoreboard: 'alice=2,bob=0' });
});

test('three shapes are a draw and strangers are ignored', () => {
  const m = new Match(1);
  for (const [s, p] of [['s1', 'a'], ['s2', 'b'], ['s3', 'c']]) m.join(s, p);
  assert.equal(m.throw('nobody', 'rock'), null);
  m.throw('s1', 'rock');
  m.throw('s2', 'paper');
  assert.deepEqual(m.throw('s3', 'scissors'), { scoreboard: 'a=0,b=0,c=0' });
  assert.equal(parseShape(bytes(' rock\n')), 'rock');
  assert.equal(parseShape(bytes('lizard')), null);
  assert.equal(parseShape(bytes('constructor')), null);
});
