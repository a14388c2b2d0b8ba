# event: null
import math


def fib(n):
    a, b = 0, 1
    for _ in range(n):
        a, b = b, a + b
    return a


def handler(event, context):
    f30 = math.factorial(30)
    total = 1
    for i in range(1, 26):
        total *= i
    return {
        "factorial": [f30, math.factorial(25) == total, str(math.factorial(40))],
        "comb": [math.comb(60, 30), math.comb(100, 50) % 1000007, math.perm(30, 20)],
        "gcd": [math.gcd(2 ** 100, 6 ** 40), math.lcm(2 ** 70, 3 ** 40), math.gcd(10 ** 30, 0)],
        "isqrt": [math.isqrt(10 ** 40), math.isqrt(2 ** 127 - 1)],
        "prod": math.prod(range(1, 31)),
        "fib": [fib(100), fib(150) % 10 ** 9],
        "pow": [2 ** 100, (-3) ** 41, 7 ** 30 // 7 ** 28, pow(3, 200, 10 ** 9 + 7), pow(2 ** 80, -1, 10 ** 9 + 7)],
        "divmod": [divmod(10 ** 30, 7), divmod(-(10 ** 30), 7), divmod(10 ** 30, -(2 ** 65))],
        "mod": [(-(2 ** 70)) % 1000, (2 ** 70) % -1000, -(2 ** 70) // 3],
        "sum": [sum([2 ** 63, 2 ** 63, 1]), sum(range(10 ** 6, 10 ** 6 + 10)) * 10 ** 20],
        "minmax": [max(2 ** 64, 3, 2.5), min(-(2 ** 70), -1.5), sorted([2 ** 65, -(2 ** 65), 0, 2 ** 64, 1.5])],
        "abs": [abs(-(2 ** 80)), abs(-9223372036854775807 - 1), -(-9223372036854775807 - 1)],
        "round": [round(2 ** 70), round(12345678901234567890123, -5), round(-(10 ** 20) - 50, -2), round(1e20), round(2.5e30)],
    }
