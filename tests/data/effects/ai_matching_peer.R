# Peer values for the Abadie–Imbens standard error (tests/sections/effects/test_matching_ai.py).
# Run once with R 4.2.2 and Matching 4.10-8 (Debian bookworm r-cran-matching):
#   Rscript tests/data/effects/ai_matching_peer.R
# Match() on the logit propensity score (R glm, as evalsoc's statsmodels GLM), ATT, with
# replacement; its `se` is the Abadie–Imbens (2006) population variance with Var.calc
# neighbours for the conditional variances. distance.tolerance = 0: only exact ties are ties
# (the scores here are continuous: none).
suppressPackageStartupMessages(library(Matching))
options(digits = 12)
d <- read.csv("tests/data/effects/ai_sim.csv")
ps <- fitted(glm(d ~ x1 + x2, family = binomial, data = d))
for (spec in list(c(1, 2), c(2, 4))) {
  m <- Match(Y = d$y, Tr = d$d, X = ps, M = spec[1], estimand = "ATT", replace = TRUE,
             ties = TRUE, Var.calc = spec[2], distance.tolerance = 0)
  cat("## M =", spec[1], "Var.calc =", spec[2], "\n")
  print(c(est = m$est, se = m$se, se.standard = m$se.standard, ndrops = m$ndrops,
          nobs = m$orig.treated.nobs))
}
# Bias correction (Abadie & Imbens 2011) on the covariates: Z = (x1, x2)
m <- Match(Y = d$y, Tr = d$d, X = ps, Z = cbind(d$x1, d$x2), M = 1, estimand = "ATT",
           replace = TRUE, ties = TRUE, Var.calc = 2, distance.tolerance = 0, BiasAdjust = TRUE)
cat("## M = 1 Var.calc = 2 BiasAdjust on x1, x2\n")
print(c(est = m$est, se = m$se, est.noadj = m$est.noadj))
