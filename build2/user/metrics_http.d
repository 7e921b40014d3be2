build2/user/metrics_http.o: user/metrics_http.c user/metrics_http.h \
 user/metrics.h user/metrics_render.h
user/metrics_http.h:
user/metrics.h:
user/metrics_render.h:
