/** What changes every second: the sampled metrics history behind the charts, and the SSE streams that push it. */
package io.tessera.dashboard.live;
