/** The response header naming the build of the app the server serves (server/src/http/appBuild.ts). */
export const APP_BUILD_HEADER = 'x-common-ground-build';
