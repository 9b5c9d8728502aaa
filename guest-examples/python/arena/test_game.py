"""Unit tests of the rules: `python3 -m unittest` in this folder."""

import unittest

from game import Match, Round, Shape, Won


class RulesTest(unittest.TestCase):
    def test_rounds_score_the_winning_shape(self):
        m = Match(2)
        m.join("s1", "alice")
        m.join("s2", "bob")
        self.assertIsNone(m.throw("s1", Shape.ROCK))
        self.assertEqual(m.throw("s2", Shape.SCISSORS), Round("alice=1,bob=0"))
        m.throw("s1", Shape.PAPER)
        self.assertEqual(m.throw("s2", Shape.PAPER), Round("alice=1,bob=0"))
        m.throw("s1", Shape.PAPER)
        self.assertEqual(m.throw("s2", Shape.ROCK), Won("alice", "alice=2,bob=0"))

    def test_three_shapes_are_a_draw_and_strangers_are_ignored(self):
        m = Match(1)
        for s, p in [("s1", "a"), ("s2", "b"), ("s3", "c")]:
            m.join(s, p)
        self.assertIsNone(m.throw("nobody", Shape.ROCK))
        m.throw("s1", Shape.ROCK)
        m.throw("s2", Shape.PAPER)
        self.assertEqual(m.throw("s3", Shape.SCISSORS), Round("a=0,b=0,c=0"))
        self.assertEqual(Shape.parse(b" rock\n"), Shape.ROCK)
        self.assertIsNone(Shape.parse(b"lizard"))
        self.assertIsNone(Shape.parse(b"\xff"))


if __name__ == "__main__":
    unittest.main()
