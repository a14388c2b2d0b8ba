# event: {"n": 90}
# arena-kib: 24
def fib(n, memo):
    if n < 2:
        return n
    if n in memo:
        return memo[n]
    r = fib(n - 1, memo) + fib(n - 2, memo)
    memo[n] = r
    return r

def handler(event, context):
    memo = {}
    return {"fib": fib(event["n"], memo), "memo_size": len(memo), "f10": memo[10]}
