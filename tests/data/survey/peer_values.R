# Peer values pinned in tests/stats/test_survey.py and tests/sections/indicators/test_survey_run.py.
# Run once with R 4.2.2 and survey 4.1-1 (Debian bookworm r-cran-survey):
#   Rscript tests/data/survey/peer_values.R
# Reads the CSVs of this folder (R survey's data(api) and data(fpc), exported with full precision).
suppressPackageStartupMessages(library(survey))
options(digits = 12)
here <- "tests/data/survey"
apistrat <- read.csv(file.path(here, "apistrat.csv"))
apiclus1 <- read.csv(file.path(here, "apiclus1.csv"))
apiclus2 <- read.csv(file.path(here, "apiclus2.csv"))
fpc <- read.csv(file.path(here, "fpc.csv"))
show <- function(label, x) { cat("##", label, "\n"); print(x) }

dstrat <- svydesign(id = ~1, strata = ~stype, weights = ~pw, data = apistrat, fpc = ~fpc)
dclus1 <- svydesign(id = ~dnum, weights = ~pw, data = apiclus1, fpc = ~fpc)
dclus1wr <- svydesign(id = ~dnum, weights = ~pw, data = apiclus1)
dclus2wr <- svydesign(id = ~dnum + snum, weights = ~pw, data = apiclus2)
dfpc <- svydesign(id = ~psuid, strat = ~stratid, weight = ~weight, data = fpc, nest = TRUE)

m <- svymean(~api00, dstrat); show("dstrat mean api00", c(coef(m), SE(m), degf(dstrat))); show("ci", confint(m, df = degf(dstrat)))
m <- svytotal(~enroll, dstrat); show("dstrat total enroll", c(coef(m), SE(m))); show("ci", confint(m, df = degf(dstrat)))
r <- svyratio(~api.stu, ~enroll, dstrat); show("dstrat ratio api.stu/enroll", c(coef(r), SE(r))); show("ci", confint(r, df = degf(dstrat)))
b <- svyby(~api00, ~comp.imp, dstrat, svymean); show("dstrat svyby api00 ~ comp.imp", b)
for (g in c("No", "Yes")) { s <- subset(dstrat, comp.imp == g); show(paste("degf comp.imp", g), degf(s)); show("ci", confint(svymean(~api00, s), df = degf(s))) }
p <- svyciprop(~I(sch.wide == "Yes"), dstrat); show("dstrat svyciprop sch.wide", c(coef(p), SE(p), attr(p, "ci")))
for (g in c("No", "Yes")) { p <- svyciprop(~I(sch.wide == "Yes"), subset(dstrat, comp.imp == g)); show(paste("svyciprop sch.wide comp.imp", g), c(coef(p), SE(p), attr(p, "ci"))) }

m <- svymean(~api00, dclus1); show("dclus1 mean api00", c(coef(m), SE(m), degf(dclus1))); show("ci", confint(m, df = degf(dclus1)))
m <- svytotal(~enroll, dclus1); show("dclus1 total enroll", c(coef(m), SE(m))); show("ci", confint(m, df = degf(dclus1)))
r <- svyratio(~api.stu, ~enroll, dclus1); show("dclus1 ratio api.stu/enroll", c(coef(r), SE(r))); show("ci", confint(r, df = degf(dclus1)))
b <- svyby(~api00, ~stype, dclus1, svymean); show("dclus1 svyby api00 ~ stype", b)
for (g in c("E", "H", "M")) { s <- subset(dclus1, stype == g); show(paste("degf stype", g), degf(s)); show("ci", confint(svymean(~api00, s), df = degf(s))) }
p <- svyciprop(~I(both == "Yes"), dclus1); show("dclus1 svyciprop both", c(coef(p), SE(p), attr(p, "ci")))
m <- svytotal(~I(sch.wide == "Yes"), dclus1); show("dclus1 total sch.wide yes", c(coef(m), SE(m)))
m <- svymean(~api00, dclus1wr); show("dclus1 with replacement mean api00", c(coef(m), SE(m)))
m <- svymean(~api00, dclus2wr); show("dclus2wr mean api00", c(coef(m), SE(m), degf(dclus2wr)))
b <- svyby(~x, ~I(x > 4), design = dfpc, svymean); show("fpc svyby x", b)
options(survey.lonely.psu = "fail")
lonely <- svydesign(id = ~1, strata = ~stype, weights = ~pw, data = rbind(apistrat[apistrat$stype != "M", ], apistrat[apistrat$stype == "M", ][1, ]))
show("lonely fail", tryCatch(SE(svymean(~api00, lonely)), error = function(e) conditionMessage(e)))
options(survey.lonely.psu = "certainty")
show("lonely certainty", c(coef(svymean(~api00, lonely)), SE(svymean(~api00, lonely))))
