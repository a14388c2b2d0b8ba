PRECISION = 3

def fixed(x):
    return ("{:." + str(PRECISION) + "f}").format(x)

def label(n):
    return "%d value%s" % (n, "" if n == 1 else "s")
