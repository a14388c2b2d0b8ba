"""random for nanolambda functions: CPython 3.11's Mersenne Twister
(MT19937) and its methods, so that a seeded generator gives the same
numbers as CPython (random.seed(42); random.random() is 0.6394267984578837).

Differences: seeds are None, ints (within 64 bits) or floats; str/bytes
seeds are not supported (CPython hashes them with SHA-512). Without a
seed the generator is seeded from the clock (CPython reads os.urandom):
not for secrets. The state is 624 ints in the function's arena."""

import math
import time

_N = 624
_M = 397


def _cumulative(values):
    out = []
    total = 0
    for v in values:
        total += v
        out.append(total)
    return out


def _bisect_right(a, x, hi):
    lo = 0
    while lo < hi:
        mid = (lo + hi) // 2
        if x < a[mid]:
            hi = mid
        else:
            lo = mid + 1
    return lo


class Random:
    def __init__(self, x=None):
        self.gauss_next = None
        self.seed(x)

    def seed(self, a=None, version=2):
        self._nl_clock = a is None
        if a is None:
            a = int(time.time() * 1000003) ^ int(time.monotonic() * 1000000007)
        elif isinstance(a, float):
            a = hash(a)
        elif not isinstance(a, int):
            raise TypeError("The only supported seed types are: None, int and float.")
        a = abs(a)
        key = []
        while a:
            key.append(a & 0xFFFFFFFF)
            a >>= 32
        if not key:
            key = [0]
        self._init_by_array(key)
        self.gauss_next = None

    def _init_genrand(self, s):
        mt = [0] * _N
        mt[0] = s & 0xFFFFFFFF
        for i in range(1, _N):
            prev = mt[i - 1]
            mt[i] = (1812433253 * (prev ^ (prev >> 30)) + i) & 0xFFFFFFFF
        self._mt = mt
        self._mti = _N

    def _init_by_array(self, key):
        self._init_genrand(19650218)
        mt = self._mt
        i = 1
        j = 0
        n = len(key)
        k = _N if _N > n else n
        while k:
            prev = mt[i - 1]
            mt[i] = ((mt[i] ^ (((prev ^ (prev >> 30)) * 1664525) & 0xFFFFFFFF)) + key[j] + j) & 0xFFFFFFFF
            i += 1
            j += 1
            if i >= _N:
                mt[0] = mt[_N - 1]
                i = 1
            if j >= n:
                j = 0
            k -= 1
        k = _N - 1
        while k:
            prev = mt[i - 1]
            mt[i] = ((mt[i] ^ (((prev ^ (prev >> 30)) * 1566083941) & 0xFFFFFFFF)) - i) & 0xFFFFFFFF
            i += 1
            if i >= _N:
                mt[0] = mt[_N - 1]
                i = 1
            k -= 1
        mt[0] = 0x80000000

    def _generate(self):
        mt = self._mt
        for kk in range(_N):
            y = (mt[kk] & 0x80000000) | (mt[(kk + 1) % _N] & 0x7FFFFFFF)
            v = mt[(kk + _M) % _N] ^ (y >> 1)
            if y & 1:
                v ^= 0x9908B0DF
            mt[kk] = v
        self._mti = 0

    def _genrand(self):
        if self._mti >= _N:
            self._generate()
        y = self._mt[self._mti]
        self._mti += 1
        y ^= y >> 11
        y ^= (y << 7) & 0x9D2C5680
        y ^= (y << 15) & 0xEFC60000
        y ^= y >> 18
        return y & 0xFFFFFFFF

    def random(self):
        a = self._genrand() >> 5
        b = self._genrand() >> 6
        return (a * 67108864.0 + b) * (1.0 / 9007199254740992.0)

    def getrandbits(self, k):
        if k < 0:
            raise ValueError("number of bits must be non-negative")
        if k == 0:
            return 0
        if k > 63:
            raise OverflowError("getrandbits() of more than 63 bits needs big integers")
        if k <= 32:
            return self._genrand() >> (32 - k)
        result = 0
        shift = 0
        while k > 0:
            r = self._genrand()
            if k < 32:
                r >>= 32 - k
            result |= r << shift
            shift += 32
            k -= 32
        return result

    def _randbelow(self, n):
        k = n.bit_length()
        r = self.getrandbits(k)
        while r >= n:
            r = self.getrandbits(k)
        return r

    def randrange(self, start, stop=None, step=1):
        if not isinstance(start, int):
            raise TypeError("'%s' object cannot be interpreted as an integer" % type(start).__name__)
        if stop is None:
            if step != 1:
                raise TypeError("Missing a non-None stop argument")
            if start > 0:
                return self._randbelow(start)
            raise ValueError("empty range for randrange()")
        if not isinstance(stop, int):
            raise TypeError("'%s' object cannot be interpreted as an integer" % type(stop).__name__)
        width = stop - start
        if step == 1:
            if width > 0:
                return start + self._randbelow(width)
            raise ValueError("empty range for randrange() (%d, %d, %d)" % (start, stop, width))
        if step > 0:
            n = (width + step - 1) // step
        elif step < 0:
            n = (width + step + 1) // step
        else:
            raise ValueError("zero step for randrange()")
        if n <= 0:
            raise ValueError("empty range for randrange()")
        return start + step * self._randbelow(n)

    def randint(self, a, b):
        return self.randrange(a, b + 1)

    def choice(self, seq):
        if not len(seq):
            raise IndexError("Cannot choose from an empty sequence")
        return seq[self._randbelow(len(seq))]

    def shuffle(self, x):
        for i in range(len(x) - 1, 0, -1):
            j = self._randbelow(i + 1)
            x[i], x[j] = x[j], x[i]

    def sample(self, population, k, *, counts=None):
        if isinstance(population, (set, dict)):
            raise TypeError("Population must be a sequence.  For dicts or sets, use sorted(d).")
        n = len(population)
        if counts is not None:
            cum = _cumulative(counts)
            total = cum[-1] if cum else 0
            if len(cum) != n:
                raise ValueError("The number of counts does not match the population")
            if total <= 0:
                raise ValueError("Total of counts must be greater than zero")
            out = []
            for s in self.sample(range(total), k=k):
                out.append(population[_bisect_right(cum, s, n)])
            return out
        if not 0 <= k <= n:
            raise ValueError("Sample larger than population or is negative")
        result = [None] * k
        setsize = 21
        if k > 5:
            setsize += 4 ** math.ceil(math.log(k * 3, 4))
        if n <= setsize:
            pool = list(population)
            for i in range(k):
                j = self._randbelow(n - i)
                result[i] = pool[j]
                pool[j] = pool[n - i - 1]
        else:
            selected = set()
            for i in range(k):
                j = self._randbelow(n)
                while j in selected:
                    j = self._randbelow(n)
                selected.add(j)
                result[i] = population[j]
        return result

    def choices(self, population, weights=None, *, cum_weights=None, k=1):
        n = len(population)
        if cum_weights is None:
            if weights is None:
                nf = n + 0.0
                return [population[math.floor(self.random() * nf)] for _ in range(k)]
            cum_weights = _cumulative(weights)
        elif weights is not None:
            raise TypeError("Cannot specify both weights and cumulative weights")
        if len(cum_weights) != n:
            raise ValueError("The number of weights does not match the population")
        total = cum_weights[-1] + 0.0
        if total <= 0.0:
            raise ValueError("Total of weights must be greater than zero")
        if total != total or total in (float("inf"), float("-inf")):
            raise ValueError("Total of weights must be finite")
        hi = n - 1
        out = []
        for _ in range(k):
            out.append(population[_bisect_right(cum_weights, self.random() * total, hi)])
        return out

    def uniform(self, a, b):
        return a + (b - a) * self.random()

    def triangular(self, low=0.0, high=1.0, mode=None):
        u = self.random()
        try:
            c = 0.5 if mode is None else (mode - low) / (high - low)
        except ZeroDivisionError:
            return low
        if u > c:
            u = 1.0 - u
            c = 1.0 - c
            low, high = high, low
        return low + (high - low) * math.sqrt(u * c)

    def normalvariate(self, mu=0.0, sigma=1.0):
        nv_magicconst = 4 * math.exp(-0.5) / math.sqrt(2.0)
        while True:
            u1 = self.random()
            u2 = 1.0 - self.random()
            z = nv_magicconst * (u1 - 0.5) / u2
            zz = z * z / 4.0
            if zz <= -math.log(u2):
                break
        return mu + z * sigma

    def gauss(self, mu=0.0, sigma=1.0):
        z = self.gauss_next
        self.gauss_next = None
        if z is None:
            x2pi = self.random() * (2.0 * math.pi)
            g2rad = math.sqrt(-2.0 * math.log(1.0 - self.random()))
            z = math.cos(x2pi) * g2rad
            self.gauss_next = math.sin(x2pi) * g2rad
        return mu + z * sigma

    def expovariate(self, lambd):
        return -math.log(1.0 - self.random()) / lambd


_inst = Random()


def _nl_after_restore():
    """Called by the runtime when an invocation starts from the state the
    function's initialisation left (vm::WarmStart): a generator seeded from
    the clock is seeded again, or every such invocation would draw the same
    numbers. One seeded explicitly keeps its sequence, as a cold start would."""
    if _inst._nl_clock:
        _inst.seed()


seed = _inst.seed
random = _inst.random
getrandbits = _inst.getrandbits
randrange = _inst.randrange
randint = _inst.randint
choice = _inst.choice
choices = _inst.choices
shuffle = _inst.shuffle
sample = _inst.sample
uniform = _inst.uniform
triangular = _inst.triangular
normalvariate = _inst.normalvariate
gauss = _inst.gauss
expovariate = _inst.expovariate
