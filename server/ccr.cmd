@echo off
rem ccr launcher for Windows: the counterpart of the POSIX script `ccr` next to this file (read that one for why each
rem JVM option is there). It serves the same layouts:
rem   the distribution (ccr-<version>-windows-<arch>.zip): bin\ccr.cmd, lib\ccr.jar and runtime\, the Java runtime
rem     made for ccr
rem   a copy next to its jar: ccr.cmd and ccr.jar in one folder
rem   a source checkout: server\ccr.cmd and server\target\ccr.jar, built with the Maven wrapper when missing
rem Java: the runtime inside the distribution, else JAVA_HOME, else the java.exe on PATH (17 or newer).
rem CCR_JAVA_OPTS adds JVM options; CCR_CDS=off turns the class-data archive off.
rem Blocks in parentheses are avoided on purpose: a path such as "C:\Program Files (x86)" would end them early.
setlocal EnableExtensions DisableDelayedExpansion

set "here=%~dp0"
set "here=%here:~0,-1%"
set "runtime="
if not exist "%here%\..\lib\ccr.jar" goto :not_distribution
for %%R in ("%here%\..") do set "root=%%~fR"
set "jar=%root%\lib\ccr.jar"
set "runtime=%root%\runtime"
goto :find_java
:not_distribution
if not exist "%here%\ccr.jar" goto :checkout
set "jar=%here%\ccr.jar"
goto :find_java
:checkout
set "jar=%here%\target\ccr.jar"
if exist "%jar%" goto :find_java
if not exist "%here%\..\mvnw.cmd" goto :find_java
echo ccr: building the router first, one time, about a minute... 1>&2
pushd "%here%\.."
call mvnw.cmd -q -B -pl server -am package -DskipTests -Dccr.dist.skip 1>&2
popd

:find_java
if exist "%jar%" goto :jar_found
echo ccr: cannot find ccr.jar in %here%\..\lib, next to %~f0 or in %here%\target 1>&2
exit /b 1
:jar_found
set "java="
if defined runtime if exist "%runtime%\bin\java.exe" set "java=%runtime%\bin\java.exe"
if not defined java if defined JAVA_HOME if exist "%JAVA_HOME%\bin\java.exe" set "java=%JAVA_HOME%\bin\java.exe"
if not defined java for %%J in (java.exe) do set "java=%%~$PATH:J"
if defined java goto :java_found
echo ccr: Java 17 or newer is required; install it or set JAVA_HOME 1>&2
exit /b 1
:java_found

set "jvm_opts=-Xlog:disable -Xlog:all=warning:stderr -XX:+UseSerialGC -Xms16m -Xmx256m -Xss512k -XX:+ExitOnOutOfMemoryError -Dio.netty.jfr.enabled=false"

if "%~1"=="--ccr-cds-train" goto :cds_train

rem Class-data sharing, as in the POSIX launcher: the first run after an install or a Java change trains an archive of
rem the router's classes in the background (`ccr cds-training`), later runs map it: an ahead-of-time cache
rem (-XX:AOTCache) when Java is 24 or newer, a class-data archive (-XX:SharedArchiveFile) before. An archive is named
rem after the jar's path and after the jar and java.exe as dir describes them (size, date), so another build or another
rem Java gets its own archive and making it removes the others of the same path.
set "cds_opts="
if /i "%CCR_CDS%"=="off" goto :run
if not defined LOCALAPPDATA goto :run
set "cache=%LOCALAPPDATA%\ccr\cache"
for %%F in ("%jar%") do set "build_id=%%~zF-%%~tF"
for %%F in ("%java%") do set "build_id=%build_id%-%%~zF-%%~tF"
set "path_id=%jar%"
set "path_id=%path_id:\=_%"
set "path_id=%path_id::=_%"
set "path_id=%path_id: =_%"
set "path_id=%path_id:(=_%"
set "path_id=%path_id:)=_%"
set "build_id=%build_id:/=-%"
set "build_id=%build_id:.=-%"
set "build_id=%build_id::=-%"
set "build_id=%build_id: =_%"
set "base=%cache%\ccr-%path_id%-%build_id%"
if exist "%base%.aot" goto :use_aot
if exist "%base%.jsa" goto :use_jsa
goto :cds_start_training
:use_aot
rem Quoted inside the value: LOCALAPPDATA holds the user's name, which may have a space. The trim as in the POSIX
rem launcher: the AOT cache's early compiles leave freed memory with the C heap; every Java 24+ has the option.
set "cds_opts="-XX:AOTCache=%base%.aot" -XX:TrimNativeHeapInterval=5000"
goto :run
:use_jsa
set "cds_opts="-XX:SharedArchiveFile=%base%.jsa""
goto :run
:cds_start_training
if exist "%base%.failed" goto :run
if not exist "%cache%" mkdir "%cache%" 2>nul
if not exist "%cache%" goto :run
del /q "%cache%\ccr-%path_id%-*" 2>nul
rem Detached, at low priority, its output in a log, so this command's own output and exit do not wait for it.
start "ccr cds-training" /b /low cmd /d /c ""%~f0" --ccr-cds-train "%base%"" <nul >"%cache%\training.log" 2>&1

:run
"%java%" %jvm_opts% %cds_opts% %CCR_JAVA_OPTS% -jar "%jar%" %*
exit /b %ERRORLEVEL%

rem The training run (%2 is the archive's path without its extension): record the archive, prove it usable
rem (-XX:AOTMode=on and -Xshare:on fail rather than run without it), and only then put it in place; a failure is
rem remembered until the jar or Java changes. Java's version is read here, off the start path.
:cds_train
set "tmp_archive="
set "aot_conf="
"%java%" -version 2>"%~2.version"
findstr /r /c:"version \"2[4-9]" /c:"version \"[3-9][0-9]" "%~2.version" >nul
set "newer_java=%ERRORLEVEL%"
del /q "%~2.version" 2>nul
if not "%newer_java%"=="0" goto :cds_train_classic
set "tmp_archive=%~2.aot.%RANDOM%.tmp"
set "aot_conf=%~2.aotconf.%RANDOM%.tmp"
"%java%" %jvm_opts% -XX:AOTMode=record -XX:AOTConfiguration="%aot_conf%" -jar "%jar%" cds-training || goto :cds_failed
"%java%" %jvm_opts% -XX:AOTMode=create -XX:AOTConfiguration="%aot_conf%" -XX:AOTCache="%tmp_archive%" -cp "%jar%" || goto :cds_failed
"%java%" %jvm_opts% -XX:AOTMode=on -XX:AOTCache="%tmp_archive%" -jar "%jar%" --version || goto :cds_failed
move /y "%tmp_archive%" "%~2.aot" >nul || goto :cds_failed
del /q "%aot_conf%" 2>nul
exit /b 0
:cds_train_classic
set "tmp_archive=%~2.jsa.%RANDOM%.tmp"
"%java%" %jvm_opts% -XX:ArchiveClassesAtExit="%tmp_archive%" -jar "%jar%" cds-training || goto :cds_failed
"%java%" %jvm_opts% -Xshare:on -XX:SharedArchiveFile="%tmp_archive%" -jar "%jar%" --version || goto :cds_failed
move /y "%tmp_archive%" "%~2.jsa" >nul || goto :cds_failed
exit /b 0
:cds_failed
if defined tmp_archive del /q "%tmp_archive%" 2>nul
if defined aot_conf del /q "%aot_conf%" 2>nul
type nul >"%~2.failed"
exit /b 1
