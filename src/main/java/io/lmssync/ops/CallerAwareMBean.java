package io.lmssync.ops;

import javax.management.MBeanException;
import javax.management.NotCompliantMBeanException;
import javax.management.ReflectionException;

/** A described standard MBean whose operations run as their JMX caller ({@link Caller#jmx}), for the audit to name. */
final class CallerAwareMBean<T> extends DescribedMBean<T> {

    CallerAwareMBean(T implementation, Class<T> mbeanInterface) throws NotCompliantMBeanException {
        super(implementation, mbeanInterface);
    }

    @Override
    public Object invoke(String action, Object[] params, String[] signature) throws MBeanException,
            ReflectionException {
        Caller caller = Caller.jmx();
        try {
            return Caller.as(caller, () -> {
                try {
                    return super.invoke(action, params, signature);
                } catch (MBeanException | ReflectionException e) {
                    throw new Thrown(e);
                }
            });
        } catch (Thrown thrown) {
            if (thrown.getCause() instanceof MBeanException e) {
                throw e;
            }
            throw (ReflectionException) thrown.getCause();
        }
    }

    /** Carries a checked JMX exception out of the action. */
    private static final class Thrown extends RuntimeException {
        Thrown(Exception cause) {
            super(cause);
        }
    }
}
