package dev.e2bjobs.local.e2b;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpContext;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpPrincipal;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Lets a handler serve a request while its answer goes nowhere, so that an injected error can be sent
 * instead: the client sees a failure for a request that did take effect. A streaming handler keeps
 * running (its process too) after the error has been sent.
 */
final class LostAnswerExchange extends HttpExchange {
    private final HttpExchange real;
    private final Headers discardedHeaders = new Headers();
    private final CountDownLatch answered = new CountDownLatch(1);
    private volatile int status = -1;

    LostAnswerExchange(HttpExchange real) {
        this.real = real;
    }

    @Override
    public Headers getRequestHeaders() {
        return real.getRequestHeaders();
    }

    @Override
    public Headers getResponseHeaders() {
        return discardedHeaders;
    }

    @Override
    public URI getRequestURI() {
        return real.getRequestURI();
    }

    @Override
    public String getRequestMethod() {
        return real.getRequestMethod();
    }

    @Override
    public HttpContext getHttpContext() {
        return real.getHttpContext();
    }

    @Override
    public void close() {
        // the real exchange stays open for the injected error
    }

    @Override
    public InputStream getRequestBody() {
        return real.getRequestBody();
    }

    @Override
    public OutputStream getResponseBody() {
        return OutputStream.nullOutputStream();
    }

    @Override
    public void sendResponseHeaders(int code, long length) {
        status = code;
        answered.countDown();
    }

    /** Waits until the handler has begun its answer: by then the request has taken effect. */
    boolean awaitAnswer(long timeoutMillis) throws InterruptedException {
        return answered.await(timeoutMillis, TimeUnit.MILLISECONDS);
    }

    @Override
    public InetSocketAddress getRemoteAddress() {
        return real.getRemoteAddress();
    }

    @Override
    public int getResponseCode() {
        return status;
    }

    @Override
    public InetSocketAddress getLocalAddress() {
        return real.getLocalAddress();
    }

    @Override
    public String getProtocol() {
        return real.getProtocol();
    }

    @Override
    public Object getAttribute(String name) {
        return real.getAttribute(name);
    }

    @Override
    public void setAttribute(String name, Object value) {
        real.setAttribute(name, value);
    }

    @Override
    public void setStreams(InputStream in, OutputStream out) {
        real.setStreams(in, out);
    }

    @Override
    public HttpPrincipal getPrincipal() {
        return real.getPrincipal();
    }
}
