build2/user/metrics_render.o: user/metrics_render.c common/macros.h \
 user/metrics_render.h user/metrics.h
common/macros.h:
user/metrics_render.h:
user/metrics.h:
