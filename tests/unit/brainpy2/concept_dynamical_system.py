# ruff: noqa: UP008, B018  (the reference program is kept as BrainPy users wrote it)
# The program of BrainPy 2.4's "Concept 2: Dynamical System" tutorial
# (shared/reference/004_4ac31c8ec6284c5a.txt), its cells in order, with only the import
# lines changed (`import brainpy as bp` -> `import brainx.compat.brainpy as bp`, and the
# same for brainpy.math). Notebook outputs are left out; the tests check them.
import brainx.compat.brainpy as bp
import brainx.compat.brainpy.math as bm

bm.set_platform('cpu')
bp.__version__


class LIF_for_BrainSimulation(bp.DynamicalSystem):
  def __init__(self, size, V_rest=0., V_th=1., tau=5., mode=None):
    super().__init__(mode=mode)
    # this model only supports non-batching mode
    bp.check.is_subclass(self.mode, bm.NonBatchingMode)
    # parameters
    self.size = size
    self.V_rest = V_rest
    self.V_th = V_th
    self.tau = tau
    # variables
    self.V = bm.Variable(bm.ones(size) * V_rest)
    self.spike = bm.Variable(bm.zeros(size, dtype=bool))
    # integrate differential equation with exponential euler method
    self.integral = bp.odeint(f=lambda V, t, I: (-V + V_rest + I)/tau, method='exp_auto')

  def update(self, x):
    # define how the model states update
    # according to the external input
    t = bp.share.load('t')
    dt = bp.share.load('dt')
    V = self.integral(self.V, t, x, dt=dt)
    spike = V >= self.V_th
    self.V.value = bm.where(spike, self.V_rest, V)
    self.spike.value = spike
    return spike


class LIF(bp.DynamicalSystem):
  supported_modes = (bm.NonBatchingMode, bm.BatchingMode, bm.TrainingMode)

  def __init__(self, size, f_surrogate=None, V_rest=0., V_th=1., tau=5., mode=None):
    super().__init__(mode=mode)
    # Parameters
    self.size = size
    self.num = bp.tools.size2num(size)
    self.V_rest = V_rest
    self.V_th = V_th
    self.tau = tau
    if f_surrogate is None:
      f_surrogate = bm.surrogate.inv_square_grad
    self.f_surrogate = f_surrogate
    # integrate differential equation with exponential euler method
    self.integral = bp.odeint(f=lambda V, t, I: (-V + V_rest + I) / tau, method='exp_auto')
    # Initialize a Variable:
    # - if non-batching mode, batch axis of V is None
    # - if batching mode, batch axis of V is 0
    self.V = bp.init.variable_(bm.zeros, self.size, self.mode)
    self.V[:] = self.V_rest
    self.spike = bp.init.variable_(bm.zeros, self.size, self.mode)

  def reset_state(self, batch_size=None):
    self.V.value = bp.init.variable_(bm.ones, self.size, batch_size) * self.V_rest
    self.spike.value = bp.init.variable_(bm.zeros, self.size, batch_size)

  def update(self, x):
    t = bp.share.load('t')
    dt = bp.share.load('dt')
    V = self.integral(self.V, t, x, dt=dt)
    # replace non-differential heaviside function
    # with a surrogate gradient function
    spike = self.f_surrogate(V - self.V_th)
    # reset membrane potential
    self.V.value = (1. - spike) * V + spike * self.V_rest
    self.spike.value = spike
    return spike


class Exponential(bp.Projection):
  def __init__(self, num_pre, post, prob, g_max, tau):
    super(Exponential, self).__init__()
    self.proj = bp.dyn.ProjAlignPostMg1(
      comm=bp.dnn.EventCSRLinear(bp.conn.FixedProb(prob, pre=num_pre, post=post.num), g_max),
      syn=bp.dyn.Expon.desc(post.num, tau=tau),
      out=bp.dyn.CUBA.desc(),
      post=post
    )

  def update(self, x):
    return self.proj(x)


class EINet(bp.DynamicalSystem):
  def __init__(self, num_exc, num_inh):
    super().__init__()
    self.E = LIF(num_exc, V_rest=-55, V_th=-50., tau=20.)
    self.I = LIF(num_inh, V_rest=-55, V_th=-50., tau=20.)
    self.E2E = Exponential(prob=0.02, num_pre=num_exc, post=self.E, g_max=1.62, tau=5.)
    self.E2I = Exponential(prob=0.02, num_pre=num_exc, post=self.I, g_max=1.62, tau=5.)
    self.I2E = Exponential(prob=0.02, num_pre=num_inh, post=self.E, g_max=-9.0, tau=10.)
    self.I2I = Exponential(prob=0.02, num_pre=num_inh, post=self.I, g_max=-9.0, tau=10.)

  def update(self, x):
    # x is the background input
    e2e = self.E2E(self.E.spike)
    e2i = self.E2I(self.E.spike)
    i2e = self.I2E(self.I.spike)
    i2i = self.I2I(self.I.spike)
    self.E(e2e + i2e + x)
    self.I(e2i + i2i + x)


with bm.environment(mode=bm.nonbatching_mode):
  net1 = EINet(3200, 800)


# This network can be used in AI applications
class AINet(bp.DynamicalSystem):
  def __init__(self, sizes):
    super().__init__()
    self.neu1 = LIF(sizes[0])
    self.syn1 = bp.dnn.Dense(sizes[0], sizes[1])
    self.neu2 = LIF(sizes[1])
    self.syn2 = bp.dnn.Dense(sizes[1], sizes[2])
    self.neu3 = LIF(sizes[2])

  def update(self, x):
    return x >> self.neu1 >> self.syn1 >> self.neu2 >> self.syn2 >> self.neu3


with bm.environment(mode=bm.training_mode):
  net2 = AINet([100, 50, 10])


def run_net2(t, currents):
  bp.share.save(t=t)
  return net2(currents)


with bm.environment(dt=0.1):
  # construct the given time steps
  times = bm.arange(200) * bm.dt
  # construct the inputs with shape of (time, batch, feature)
  currents = bm.random.rand(200, 10, 100)
  # run the model
  net2.reset(10)
  out = bm.for_loop(run_net2, (times, currents))

out.shape

net2.reset(10)
looper = bp.LoopOverTime(net2)
out = looper(currents)
out.shape

with bm.environment(dt=0.1):
  runner = bp.DSRunner(net1, monitors={'E.spike': net1.E.spike, 'I.spike': net1.I.spike})
  runner.run(inputs=bm.ones(1000) * 20.)

bp.visualize.raster_plot(runner.mon['ts'], runner.mon['E.spike'])
